//go:build unix

package health

import (
	"fmt"
	"syscall"
)

// freeBytes returns the bytes available to unprivileged users on the
// filesystem holding path, and an id of that filesystem.
func freeBytes(path string) (free, dev uint64, err error) {
	var fs syscall.Statfs_t
	if err := syscall.Statfs(path, &fs); err != nil {
		return 0, 0, fmt.Errorf("statfs %s: %w", path, err)
	}
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		return 0, 0, fmt.Errorf("stat %s: %w", path, err)
	}
	return uint64(fs.Bavail) * uint64(fs.Bsize), uint64(st.Dev), nil
}
