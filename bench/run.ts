export async function runBenchmark(name: string, args: string[]): Promise<void> {
  switch (name) {
    case 'intake': {
      const { benchIntake } = await import('./intake.ts');
      await benchIntake(args);
      return;
    }
    case 'deadlines': {
      const { benchDeadlines } = await import('./deadlines.ts');
      await benchDeadlines(args);
      return;
    }
    case 'classify': {
      const { benchClassify } = await import('./classify.ts');
      await benchClassify(args);
      return;
    }
    case 'near-duplicates': {
      const { benchNearDuplicates } = await import('./near-duplicates.ts');
      await benchNearDuplicates(args);
      return;
    }
    case 'board': {
      const { benchBoard } = await import('./board.ts');
      await benchBoard(args);
      return;
    }
    case 'geo': {
      const { benchGeo } = await import('./geo.ts');
      await benchGeo(args);
      return;
    }
    case 'police': {
      const { benchPolice } = await import('./police.ts');
      await benchPolice(args);
      return;
    }
    case 'social-ingest': {
      const { benchSocialIngest } = await import('./social-ingest.ts');
      await benchSocialIngest(args);
      return;
    }
    case 'social-issues': {
      const { benchSocialIssues } = await import('./social-issues.ts');
      await benchSocialIssues(args);
      return;
    }
    default:
      throw new Error(`unknown benchmark "${name}" (known: intake, deadlines, classify, near-duplicates, board, geo, police, social-ingest)`);
  }
}
