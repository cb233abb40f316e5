//go:build !linux

package lake

import (
	"io/fs"
	"os"
	"time"
)

type statter struct{}

func newStatter(*os.File) statter { return statter{} }

func (statter) stat(e fs.DirEntry) (int64, time.Time, bool) {
	fi, err := e.Info()
	if err != nil {
		return 0, time.Time{}, false
	}
	return fi.Size(), fi.ModTime(), true
}
