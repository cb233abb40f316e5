package mcpserver

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/nbasim/nbasim/internal/lake"
)

// Lake browsing is confined twice: keys and prefixes are validated as text
// (below), and on a file:// lake every object's real path (symlinks
// resolved) must stay under the lake root, compared separator-aware.

// ErrEscape is returned (wrapped) for a key or prefix that could leave the lake.
var ErrEscape = errors.New("outside the lake")

// safeKeyByte lists the bytes a key may hold: the lake layout uses
// letters, digits, '/', '.', '_', '-', '@' (history versions), '=' and
// ','. Everything else ('%', '\\', control bytes, spaces, ...) is refused,
// so no decoding step can turn a key into something else.
func safeKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '/' || c == '.' || c == '_' || c == '-' || c == '@' || c == '=' || c == ','
}

// CheckKey validates an object key.
func CheckKey(key string) error {
	if strings.Contains(key, "%") {
		if dec, err := url.PathUnescape(key); err == nil && dec != key {
			return fmt.Errorf("key %q is percent-encoded (%q): %w", key, dec, ErrEscape)
		}
	}
	if strings.Contains(key, `\`) {
		return fmt.Errorf("key %q contains a backslash: %w", key, ErrEscape)
	}
	if strings.HasPrefix(key, "/") {
		return fmt.Errorf("key %q is absolute: %w", key, ErrEscape)
	}
	if err := lake.ValidateKey(key); err != nil {
		return fmt.Errorf("%v: %w", err, ErrEscape)
	}
	for i := 0; i < len(key); i++ {
		if !safeKeyByte(key[i]) {
			return fmt.Errorf("key %q has a character outside [A-Za-z0-9/._@=,-] at byte %d: %w", key, i, ErrEscape)
		}
	}
	return nil
}

// CheckPrefix validates a listing prefix ("" lists the whole lake; a
// trailing "/" is allowed).
func CheckPrefix(prefix string) error {
	p := strings.TrimSuffix(prefix, "/")
	if p == "" {
		if prefix == "/" {
			return fmt.Errorf("prefix %q is absolute: %w", prefix, ErrEscape)
		}
		return nil
	}
	if err := CheckKey(p); err != nil {
		return fmt.Errorf("prefix: %w", err)
	}
	return nil
}

// FileRoot returns the local directory of a file:// lake URL with prefix
// ("" for other schemes), resolved like lake.Open does (relative to the
// working directory).
func FileRoot(lakeURL, prefix string) string {
	if !strings.HasPrefix(lakeURL, "file://") {
		return ""
	}
	path, _, _ := strings.Cut(strings.TrimPrefix(lakeURL, "file://"), "?")
	abs, err := filepath.Abs(filepath.FromSlash(path))
	if err != nil {
		return ""
	}
	if p := strings.Trim(prefix, "/"); p != "" {
		abs = filepath.Join(abs, filepath.FromSlash(p))
	}
	return abs
}

// within reports whether path is root or under it (separator-aware:
// /data/lake-evil is not under /data/lake).
func within(root, path string) bool {
	if path == root {
		return true
	}
	return strings.HasPrefix(path, strings.TrimSuffix(root, string(filepath.Separator))+string(filepath.Separator))
}

// checkRealPath refuses a key whose file, symlinks resolved, lies outside
// the lake root (file:// lakes only). A missing file passes: the read then
// reports "not found".
func (s *Server) checkRealPath(key string) error {
	if s.opts.LakeRoot == "" {
		return nil
	}
	root, err := filepath.EvalSymlinks(s.opts.LakeRoot)
	if err != nil {
		return fmt.Errorf("lake root %s: %w", s.opts.LakeRoot, err)
	}
	p := filepath.Join(s.opts.LakeRoot, filepath.FromSlash(key))
	real, err := filepath.EvalSymlinks(p)
	if errors.Is(err, os.ErrNotExist) {
		// A dangling link still must not point outside.
		if fi, lerr := os.Lstat(p); lerr == nil && fi.Mode()&os.ModeSymlink != 0 {
			return fmt.Errorf("key %q is a dangling symbolic link: %w", key, ErrEscape)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("key %q: %w", key, err)
	}
	if !within(root, real) {
		return fmt.Errorf("key %q resolves outside the lake root: %w", key, ErrEscape)
	}
	return nil
}
