#!/usr/bin/env node
// The `gatehouse-auth` command: `secret`, `migrate <url> [--print]`, `doctor [auth-file]`.
import { parseArgs } from 'node:util';
import { doctor, formatFindings } from './doctor.js';
import { migrate, migrationSql } from './migrate.js';
import { generateSecret } from './secret.js';

const USAGE = `Usage: gatehouse-auth <command>

  secret                      print a fresh AUTH_SECRET (32 random bytes, base64url)
  migrate <url> [--print]     create the tables for sqlite:<file>, postgres://…, mysql://… or redis://…;
                              --print writes the SQL instead of running it
  doctor [auth-file]          check .env / the environment (and the app's options module, if given):
        [--database <url>]    secret, NEXTAUTH_URL / AUTH_URL, database, SMTP, OIDC discovery
        [--env-file <file>]   another env file to read after .env and .env.local
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { print: { type: 'boolean' }, database: { type: 'string' }, 'env-file': { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  switch (command) {
    case 'secret':
      process.stdout.write(`${generateSecret()}\n`);
      return 0;
    case 'migrate': {
      const url = positionals[0];
      if (!url) break;
      process.stdout.write(values.print ? await migrationSql(url) : `${await migrate(url)}\n`);
      return 0;
    }
    case 'doctor': {
      const findings = await doctor({ cwd: process.cwd(), env: process.env, authFile: positionals[0], database: values.database, envFiles: values['env-file'] ?? [] });
      process.stdout.write(formatFindings(findings));
      return findings.some((f) => f.status === 'fail') ? 1 : 0;
    }
  }
  process.stderr.write(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`gatehouse-auth: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
