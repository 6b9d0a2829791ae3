import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { kafkaBrokers } from '../../support/env.js';

/** One member of a consumer group and how many partitions it holds. */
export interface GroupMember {
  clientHost: string;
  partitions: number;
}

/**
 * The members of a consumer group as the group coordinator sees them, each
 * with the partitions it was assigned (the replicas of one service form one
 * group, named after the service).
 */
export async function groupMembers(group: string): Promise<GroupMember[]> {
  const admin = new Kafka({ clientId: 'cluster-test-admin', brokers: kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([group]);
    if (groups[0]?.state !== 'Stable') return [];
    return groups[0].members.map((member) => {
      const assignment = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      const partitions = Object.values(assignment?.assignment ?? {}).reduce((sum, list) => sum + list.length, 0);
      return { clientHost: member.clientHost, partitions };
    });
  } finally {
    await admin.disconnect();
  }
}
