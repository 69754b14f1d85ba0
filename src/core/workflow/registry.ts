import type { Channel } from '../model.ts';
import type { WorkflowDefinition } from './definition.ts';
import { appealWorkflow } from './definitions/appeal.ts';
import { childWorkflow } from './definitions/child.ts';
import { cityWorkflow } from './definitions/city.ts';
import { policeWorkflow } from './definitions/police.ts';
import { socialWorkflow } from './definitions/social.ts';

export const workflows: Readonly<Record<Channel, WorkflowDefinition>> = {
  appeal: appealWorkflow,
  police: policeWorkflow,
  city: cityWorkflow,
  child: childWorkflow,
  social: socialWorkflow,
};
