/** Kazakhstan has one time zone, UTC+5, since 1 March 2024. */
export const KAZAKHSTAN_OFFSET_MS = 5 * 60 * 60 * 1000;

export const kazakhstanYear = (instant: Date): number => new Date(instant.getTime() + KAZAKHSTAN_OFFSET_MS).getUTCFullYear();

export const kazakhstanDate = (instant: Date): string => new Date(instant.getTime() + KAZAKHSTAN_OFFSET_MS).toISOString().slice(0, 10);
