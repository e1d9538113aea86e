import { Entity, ManyToOne, PrimaryKeyProp } from '@mikro-orm/core';
import { Message } from '../messaging/message.entity';

/**
 * A message counted as delivered in the participation roll-ups. A message can reach
 * `handed_over` more than once (the server says "try later" after the hand-over, and a retry
 * hands it over again); this row makes it count once.
 */
@Entity({ tableName: 'participation_deliveries' })
export class ParticipationDelivery {
  [PrimaryKeyProp]?: 'message';

  @ManyToOne(() => Message, { primary: true, deleteRule: 'cascade' })
  message!: Message;
}
