package lake

import (
	"io/fs"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// statter stats directory entries relative to their open directory.
type statter struct{ fd int }

func newStatter(dir *os.File) statter { return statter{fd: int(dir.Fd())} }

func (s statter) stat(e fs.DirEntry) (int64, time.Time, bool) {
	var st unix.Stat_t
	if err := unix.Fstatat(s.fd, e.Name(), &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return 0, time.Time{}, false
	}
	return st.Size, time.Unix(st.Mtim.Sec, st.Mtim.Nsec), true
}
