/* Running the attention command. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "inbox/inbox_hook.h"

int inbox_hook_run(const char *cmd, char *const *env, int timeout_s, int *status, struct diag *d)
{
	*status = -1;
	pid_t pid = fork();
	if (pid < 0)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "cannot start the attention command: %s",
		                strerror(errno));
	if (pid == 0) {
		/* The child: what the hook changed for itself (blocked TERM,
		 * ignored SIGIO) must not leak into the user's command. */
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGIO, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		setpgid(0, 0);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0) {
			dup2(devnull, 0);
			if (devnull > 2)
				close(devnull);
		}
		for (char *const *e = env; e && *e; e++)
			putenv(*e);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid); /* both sides, so the group exists before a kill */
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	int st;
	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "attention command lost: %s",
			                strerror(errno));
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= timeout_s) {
			kill(-pid, SIGKILL);
			waitpid(pid, &st, 0);
			*status = 128 + SIGKILL;
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL,
			                "attention command still running after %d s: killed", timeout_s);
		}
		struct timespec tick = {0, 20000000L};
		nanosleep(&tick, NULL);
	}
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
	return 0;
}
