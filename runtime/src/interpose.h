/* interpose.h: whether a function of libtenantq's has been replaced at run time. */
#ifndef TQ_INTERPOSE_H
#define TQ_INTERPOSE_H

/* NULL when every function libtenantq exports under tq_ is bound to its own definition;
 * else why not, naming the function and the object it is bound to. Checked once per
 * process; the answer is kept. */
const char *tq_interposed(void);

#endif
