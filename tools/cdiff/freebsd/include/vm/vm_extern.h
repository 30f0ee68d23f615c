/* empty: everything the seed needs is in kern.h (-include) */
