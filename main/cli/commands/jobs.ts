// marquee jobs [--json] | marquee jobs cancel ID: the catalog's job queue (every process's syncs, imports,
// live changes and edits), adapters over main/usecases/jobs.ts.
import type { Command } from 'commander';
import type { QueueJob } from '../../../shared/jobs.js';
import { cancelJob, listJobs } from '../../usecases/jobs.js';
import type { CliContext } from '../context.js';
import { CliError } from '../errors.js';
import { formatTable, jsonText } from '../output.js';

export function registerJobsCommands(program: Command, ctx: CliContext): void {
  const jobs = program
    .command('jobs')
    .description('list the jobs that run or wait on the catalog (any process)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await listJobsCommand(ctx, options.json === true);
    });

  jobs
    .command('cancel')
    .description('ask one job to stop (its owner stops it at its next safe point; the others go on)')
    .argument('<id>', 'the job id, as `marquee jobs` lists it')
    .action(async (id: string) => {
      if (!/^\d+$/.test(id.trim())) throw new CliError(`A job id is a whole number (see \`marquee jobs\`); got "${id}".`, { usage: true });
      const job = cancelJob(ctx.usecases(), Number(id.trim()));
      await ctx.out.line(`Asked job ${job.id} to stop: ${job.title} (${job.owner}).`);
    });
}

async function listJobsCommand(ctx: CliContext, json: boolean): Promise<void> {
  const jobs = listJobs(ctx.usecases());
  if (json) {
    await ctx.out.write(jsonText(jobs));
    return;
  }
  if (jobs.length === 0) {
    await ctx.out.line('No job runs or waits.');
    return;
  }
  await ctx.out.lines(
    formatTable(
      [{ header: 'ID', align: 'right' }, { header: 'STATE' }, { header: 'JOB' }, { header: 'OWNER' }, { header: 'SINCE' }],
      jobs.map((job) => [String(job.id), stateText(job), job.title, job.owner, since(job)]),
    ),
  );
}

function stateText(job: QueueJob): string {
  const state = job.state === 'yielded' ? 'running (paused for an edit)' : job.state;
  return job.cancelRequested ? `${state}, cancelling` : state;
}

function since(job: QueueJob): string {
  return `${new Date(job.startedAt ?? job.enqueuedAt).toISOString().slice(11, 19)} UTC`;
}
