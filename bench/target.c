/* target.c: the benchmark's traced program. It calls work() N times with
 * varying arguments (so the probe sees changing register values), then
 * sleeps so that the benchmark can read the BPF run-time counters while the
 * tracer still has its programs loaded. It writes nothing to stdout: under
 * -c its stdout is the tracer's, and the output lines are counted there.
 *
 * When the loop is over it writes the loop's duration in nanoseconds to the
 * file named by $BENCH_DONE, if set, so the benchmark knows the counters are
 * final.
 *
 * usage: target [N [SLEEP_MS]]   (defaults 200000, 1000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

volatile long sink;

__attribute__((noinline)) long work(long a, long b)
{
	sink += a ^ b;
	__asm__ volatile("" ::: "memory");
	return sink;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200000;
	long ms = argc > 2 ? atol(argv[2]) : 1000;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++)
		work(i, i * 7 + 3);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	const char *done = getenv("BENCH_DONE");
	if (done) {
		/* Written to a temporary name, then renamed: the file appears
		 * complete. It holds the loop's duration in nanoseconds. */
		char tmp[4096];
		snprintf(tmp, sizeof tmp, "%s.tmp", done);
		FILE *f = fopen(tmp, "w");
		if (f) {
			fprintf(f, "%lld\n", (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL +
						(t1.tv_nsec - t0.tv_nsec));
			fclose(f);
			rename(tmp, done);
		}
	}
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
	return 0;
}
