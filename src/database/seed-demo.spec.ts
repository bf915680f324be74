import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../common/paths.js';
import { DEMO_LOGINS } from './seed-demo.js';

describe('demo logins', () => {
  it('the README lists every demo login, both applicants included', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(DEMO_LOGINS.map((login) => login.email)).toContain('afrika-hilfe@neuss.example');
    for (const { email } of DEMO_LOGINS) expect(readme).toContain(`\`${email}\``);
  });
});
