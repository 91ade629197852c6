/* Target of the tracepoint differential cases: 5 getppid() calls and 3
   openat() calls on /dev/null, nothing else of note. */
#include <fcntl.h>
#include <unistd.h>

static const char path[] = "/dev/null";

int main(void) {
	/* Touch the path so that its page is mapped when the probes read it. */
	if (((volatile const char *)path)[0] != '/')
		return 1;
	for (int i = 0; i < 5; i++)
		getppid();
	for (int i = 0; i < 3; i++) {
		int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			close(fd);
	}
	return 0;
}
