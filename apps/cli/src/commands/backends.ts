/** `myelin backends`: every backend, whether it runs here, and why not (core's `listBackends()`). */
import type { Command } from 'commander';
import { disposeBackends, isSoftwareGpu, surveyBackends } from '../backends/setup.js';
import { EXIT } from '../errors.js';
import type { Wrap } from '../main.js';
import { table } from '../output/table.js';

export function registerBackendsCommand(program: Command, wrap: Wrap): void {
  program
    .command('backends')
    .description('list the backends, whether each one runs on this machine, and why not')
    .addHelpText(
      'after',
      `
Examples:
  $ myelin backends          a table: backend, available, details
  $ myelin backends --json   the same as JSON: [{ name, available, reason, description, software }]

Exit code 0 whenever the list could be made, even if some backends are unavailable.`,
    )
    .action(
      wrap<Record<string, never>>(async (_options, out) => {
        try {
          const infos = await surveyBackends();
          const rows = infos.map((i) => ({
            name: i.name,
            available: i.available,
            software: i.name === 'webgpu' && i.available ? isSoftwareGpu(i) : undefined,
            description: i.description ?? null,
            reason: i.reason ?? null,
            priority: i.priority,
          }));
          out.emitJson({ ok: true, command: 'backends', backends: rows });
          const { c } = out;
          out.line(
            table(
              out,
              ['backend', 'available', 'details'],
              rows.map((r) => [
                r.name,
                r.available ? c.green('yes') : c.red('no'),
                r.available
                  ? `${r.description ?? ''}${r.software ? c.yellow(' — software rasteriser, slower than the CPU') : ''}`
                  : (r.reason ?? 'unknown reason'),
              ]),
            ),
          );
          return EXIT.ok;
        } finally {
          await disposeBackends();
        }
      }),
    );
}
