//go:build !unix

package health

import "errors"

func freeBytes(string) (uint64, uint64, error) {
	return 0, 0, errors.New("free space is not measured on this platform")
}
