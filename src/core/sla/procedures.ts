/**
 * The procedural rules of a channel after registration, as data (data/term-policies.json, "procedures"):
 * the redirect window, extensions, the hearing, the applicant's deadline to complete an appeal, and what
 * a city case needs before and after it closes. Every number is the law's or the service's, not code's.
 */
import { z } from 'zod';
import { channels, type Channel } from '../model.ts';

const positive = z.number().int().positive();

export const channelProcedureSchema = z
  .object({
    /** A wrong addressee is redirected within this many working days of registration, never later. */
    redirectWithinWorkingDays: positive.optional(),
    /** The head may extend the answer term, at most maxMonths in total, telling the applicant in time. */
    extension: z.object({ maxMonths: positive.max(12), noticeWithinWorkingDays: positive }).strict().optional(),
    /** An adverse decision only after the applicant was told of it this many working days before. */
    hearingWorkingDays: positive.optional(),
    /** The default deadline of a notice asking the applicant to complete the appeal. */
    applicantResponseWorkingDays: positive.max(60),
    /** Closing as resolved needs proof: a photo or an act uploaded by staff. */
    closeRequiresProof: z.boolean().default(false),
    /** The applicant may say "not fixed" this many days after the case was closed. */
    notFixedWithinDays: positive.optional(),
    /** "Is it fixed?" is asked this many days after the case was closed. */
    surveyAfterDays: positive.optional(),
    /** The applicant may complain to the higher body about the answer. */
    complaintAboutAnswer: z.boolean().default(false),
  })
  .strict();

export const proceduresSchema = z
  .object(Object.fromEntries(channels.map((c) => [c, channelProcedureSchema])) as Record<Channel, typeof channelProcedureSchema>)
  .strict();

export type ChannelProcedure = z.output<typeof channelProcedureSchema>;
export type Procedures = Readonly<Record<Channel, ChannelProcedure>>;
