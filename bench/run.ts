export async function runBenchmark(name: string, args: string[]): Promise<void> {
  switch (name) {
    case 'intake': {
      const { benchIntake } = await import('./intake.ts');
      await benchIntake(args);
      return;
    }
    default:
      throw new Error(`unknown benchmark "${name}" (known: intake)`);
  }
}
