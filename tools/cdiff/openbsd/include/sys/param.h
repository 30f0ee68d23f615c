/* empty: everything the seed needs comes from kern.h (-include) */
