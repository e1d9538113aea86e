import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/activity';

/**
 * The `select l.id from leads l where …` query of a segment's members, with its parameters.
 * Filled in once the segment compiler lands (libs/segments).
 */
export async function segmentMembersQuery(_em: EntityManager, segmentId: string): Promise<{ sql: string; params: unknown[] }> {
  throw ApplicationFailure.nonRetryable(`segment audiences are not available yet (segment ${segmentId})`, 'SegmentUnsupported');
}
