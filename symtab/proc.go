package symtab

import (
	"os"
	"path/filepath"
	"strconv"
)

// ProcessPath returns the path, openable from here, of the file that
// process pid sees at path: the host's path when it names the same file
// (or the process's root is unreadable), else the path through
// /proc/PID/root, so that a binary of a process in another mount namespace
// (a container) is found from the host. A relative path is taken relative
// to the current directory first, then to the process's root. path == ""
// means the process's executable. ok is false when neither exists.
func ProcessPath(pid int, path string) (string, bool) {
	proc := "/proc/" + strconv.Itoa(pid)
	if path == "" {
		exe := proc + "/exe"
		target, err := os.Readlink(exe)
		if err != nil {
			return exe, exists(exe)
		}
		if sameFile(target, exe) {
			return target, true
		}
		if rooted := proc + "/root" + target; sameFile(rooted, exe) {
			return rooted, true
		}
		return exe, exists(exe)
	}
	rooted := filepath.Join(proc+"/root", path)
	host := path
	if abs, err := filepath.Abs(path); err == nil {
		host = abs
	}
	switch {
	case exists(host) && (!exists(rooted) || sameFile(host, rooted)):
		return host, true
	case exists(rooted):
		return rooted, true
	}
	return path, false
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func sameFile(a, b string) bool {
	x, err1 := os.Stat(a)
	y, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(x, y)
}
