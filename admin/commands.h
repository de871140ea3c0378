/* commands.h: the tenantq-admin commands. Each takes the opened environment and the
 * arguments after the command name, prints what it did, and returns an exit code
 * (ADM_EXIT_OK, ADM_EXIT_FAIL, ADM_EXIT_USAGE). */
#ifndef TQ_ADMIN_COMMANDS_H
#define TQ_ADMIN_COMMANDS_H

#include "model.h"

int adm_cmd_onboard(adm_env_t *env, int argc, char **argv);
int adm_cmd_offboard(adm_env_t *env, int argc, char **argv);
int adm_cmd_migrate(adm_env_t *env, int argc, char **argv);
int adm_cmd_audit(adm_env_t *env, int argc, char **argv);
int adm_cmd_reindex(adm_env_t *env, int argc, char **argv);
int adm_cmd_rewrite(adm_env_t *env, int argc, char **argv);

#endif
