/* The differential tests' uprobe target: a few functions, called a known
 * number of times with known arguments, so that gobpftrace and bpftrace
 * see exactly the same events. */
#include <stdio.h>

__attribute__((noinline)) int add(int a, int b) { return a + b; }
__attribute__((noinline)) long mul(long a, long b) { return a * b; }
__attribute__((noinline)) int greet(const char *name, int n) { return n + name[0]; }
__attribute__((noinline)) void done(void) { __asm__ volatile(""); }

int main(void)
{
	static const char *names[] = {"alice", "bob", "carol"};
	int sum = 0;
	/* Touch the names first: a string on a page the process has not read
	 * yet cannot be read by a probe (the read would fault), which would
	 * make the first str() empty. */
	for (int i = 0; i < 3; i++)
		sum += ((const volatile char *)names[i])[0];
	for (int i = 0; i < 10; i++)
		sum += add(i, 2 * i);
	for (long i = -3; i <= 3; i++)
		sum += (int)mul(i, 1000);
	/* alice once, bob twice, carol three times: counts without ties, so
	 * that map printing order is defined. */
	static const int who[] = {0, 1, 1, 2, 2, 2};
	for (int i = 0; i < 6; i++)
		sum += greet(names[who[i]], i);
	done();
	return sum == 0 ? 1 : 0;
}
