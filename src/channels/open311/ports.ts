/** The door's storage port: declared beside its implementation (src/storage/open311-store.ts), as the rows it reads. */
export type { Open311Store, PublicRequestFilter, PublicStepFilter, PublicCaseRow, PublicStepRow } from '../../storage/open311-store.ts';
