import { importSocialFile, formatSummary } from '../../social/ingest-import.ts';
import { openContext, openPlatform } from '../context.ts';
import { progressBar } from '../progress.ts';

export interface SocialImportOptions {
  format: string;
  source?: string;
  utcOffset?: string;
  json?: boolean;
}

/**
 * `tyndau social import --format jsonl|telegram-export|whatsapp FILE`: posts into the evidence, with the
 * understanding of each; a progress bar on stderr, then the summary (stdout). Importing the same file twice
 * adds nothing the second time (every post counted a duplicate).
 */
export async function socialImport(file: string, options: SocialImportOptions): Promise<void> {
  const ctx = await openContext();
  try {
    const platform = await openPlatform(ctx);
    let bar: ReturnType<typeof progressBar> | undefined;
    const summary = await importSocialFile(platform.socialIngest, {
      format: options.format,
      file,
      source: options.source,
      utcOffset: options.utcOffset,
      maxBytes: ctx.config.SOCIAL_IMPORT_MAX_BYTES,
      onProgress: (done, total) => (bar ??= progressBar('social import', total)).update(done),
    });
    bar?.stop();
    process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
  } finally {
    await ctx.close();
  }
}
