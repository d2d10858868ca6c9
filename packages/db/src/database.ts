import type { AuthTables } from './tables/auth';
import type { CasesTables } from './tables/cases';
import type { MessagingTables } from './tables/messaging';
import type { MonitorTables } from './tables/monitor';
import type { NotifierTables } from './tables/notifier';

/**
 * Every table, grouped by the capability that owns it. A service's data access should only touch
 * its own group plus messaging; the groups are separate interfaces so a signature can say so.
 */
export interface Database extends MessagingTables, AuthTables, CasesTables, MonitorTables, NotifierTables {}
