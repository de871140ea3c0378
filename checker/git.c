/* git.c: asks git whether a file is under version control. tenantq-check uses it to
 * refuse manifests a commit could have written (a manifest in the repository proves
 * nothing; one the build wrote is untracked). Runs `git -C ROOT ls-files
 * --error-unmatch -- PATH` without a shell; never reads git's output. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int tqc_git_tracked(const char *root, const char *path)
{
    char *argv[] = {"git", "-C", (char *)root, "ls-files", "--error-unmatch", "--",
                    (char *)path, NULL};
    posix_spawn_file_actions_t actions;
    pid_t pid;
    int status = 0;
    if (posix_spawn_file_actions_init(&actions) != 0) {
        return -1;
    }
    int ok = posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0) == 0 &&
             posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) == 0 &&
             posix_spawnp(&pid, "git", &actions, NULL, argv, environ) == 0;
    posix_spawn_file_actions_destroy(&actions);
    if (!ok) {
        return -1;
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return -1;
        }
    }
    if (!WIFEXITED(status)) {
        return -1;
    }
    /* 0: tracked; 1: not tracked (error-unmatch); anything else: not a work tree. */
    return WEXITSTATUS(status) == 0 ? 1 : WEXITSTATUS(status) == 1 ? 0 : -1;
}
