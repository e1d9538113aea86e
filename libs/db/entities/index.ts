import { ApiKey } from './auth/api-key.entity';
import { Lead } from './audience/lead.entity';
import { Template } from './content/template.entity';
import { Flow } from './flows/flow.entity';
import { FlowVersion } from './flows/flow-version.entity';
import { Campaign } from './campaigns/campaign.entity';
import { Enrollment } from './campaigns/enrollment.entity';
import { Cost } from './campaigns/cost.entity';
import { Message } from './messaging/message.entity';
import { Touchpoint } from './analytics/touchpoint.entity';
import { Conversion } from './analytics/conversion.entity';

export * from './base';
export * from './auth/api-key.entity';
export * from './audience/lead.entity';
export * from './content/template.entity';
export * from './flows/flow.entity';
export * from './flows/flow-version.entity';
export * from './campaigns/campaign.entity';
export * from './campaigns/enrollment.entity';
export * from './campaigns/cost.entity';
export * from './messaging/message.entity';
export * from './analytics/touchpoint.entity';
export * from './analytics/conversion.entity';

export const ENTITIES = [ApiKey, Lead, Template, Flow, FlowVersion, Campaign, Enrollment, Cost, Message, Touchpoint, Conversion];
