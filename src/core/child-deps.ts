import type { ChatDeps } from './child-chat.ts';
import type { ChildIntakeDeps } from './child-intake.ts';
import type { OnCallDeps } from './child-on-call.ts';
import type { SchoolDirectory } from './child-ports.ts';
import type { SchoolStatisticsDeps } from './child-statistics.ts';

/** Everything the child door (Bala Qorgau) needs, built once by the platform (src/app/child-platform.ts). */
export interface ChildDeps {
  intake: ChildIntakeDeps;
  chat: ChatDeps;
  onCall: OnCallDeps;
  statistics: SchoolStatisticsDeps;
  schools: SchoolDirectory;
  /** The link a school's QR code opens: the child form with the school filled in. */
  childFormUrl: (schoolCode: string) => string;
  /** How often an open chat stream sends a heartbeat. */
  heartbeatMs: number;
}
