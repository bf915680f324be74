import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/**
 * The layering of src/ (docs/ARCHITECTURE.md, "Layering"): who may import whom. Anything not allowed
 * here fails the lint, e.g. the web kit importing a capability or anything importing src/office.
 */
const CAPABILITY_USES = {
  organisations: [],
  calls: [],
  ranking: [],
  auth: ['organisations'],
  'round-table': ['auth', 'organisations'],
  applications: ['calls', 'organisations'],
  review: ['applications', 'calls', 'organisations'],
  sessions: ['applications', 'calls', 'organisations', 'round-table'],
  awards: ['applications', 'calls', 'organisations', 'sessions'],
  payments: ['awards', 'applications', 'calls', 'organisations'],
  reports: ['awards', 'payments', 'applications', 'calls', 'organisations'],
  visits: ['awards', 'applications', 'calls', 'organisations'],
  transparency: [],
  privacy: ['applications', 'organisations'],
  monitoring: [],
};

const element = (type, extra = {}) => ({ element: { type, ...extra } });
const category = (name) => ({ file: { categories: name } });
const COMMON = element('common');
const CONFIG = element('config');
const ACCESS = category('access');
const TYPES = category('types');
const RULES = category('rules');
const policy = (from, ...to) => ({ from, allow: { to } });

const layering = [
  policy(CONFIG, COMMON),
  policy(ACCESS, COMMON, CONFIG, ACCESS),
  policy(TYPES, COMMON, TYPES),
  policy(RULES, COMMON, TYPES, RULES),
  policy(element('documents'), COMMON, TYPES, element('documents')),
  policy(element('renderer'), COMMON, CONFIG, TYPES, element('documents'), element('renderer')),
  policy(element('audit'), COMMON, ACCESS, element('audit')),
  policy(element('web'), COMMON, CONFIG, ACCESS, element('web')),
  policy(element('notifications'), COMMON, CONFIG, element('web'), element('notifications')),
  policy(element('health'), COMMON, ACCESS, element('health')),
  ...Object.entries(CAPABILITY_USES).map(([name, uses]) =>
    policy(
      { element: { type: 'capability', captured: { name } }, file: { categories: 'feature' } },
      COMMON, CONFIG, ACCESS, TYPES, RULES, element('documents'), element('renderer'), element('audit'), element('web'), element('notifications'),
      element('capability', { captured: { name: [name, ...uses] } }),
    ),
  ),
  { from: element('office'), allow: { to: element('!app') } },
  { from: element('app'), allow: { to: { element: { type: '*' } } } },
];

/**
 * Queries belong in the feature's repository (docs/ARCHITECTURE.md, "Layering"): services and
 * controllers call no query method of TypeORM. Names only TypeORM uses are refused on any object;
 * the names arrays, maps and services share (find, save, update, delete...) only on an EntityManager
 * or DataSource, recognised by its usual names (`manager`, `this.dataSource`, `dataSource.manager`).
 */
const QUERY_ONLY_METHODS = [
  'getRepository', 'getTreeRepository', 'createQueryBuilder', 'query', 'sql',
  'findBy', 'findOneBy', 'findOneByOrFail', 'findOneOrFail', 'findAndCount', 'findAndCountBy',
  'countBy', 'existsBy', 'upsert', 'softDelete', 'softRemove', 'increment', 'decrement',
];
const DATA_METHODS = ['find', 'findOne', 'count', 'exists', 'save', 'insert', 'update', 'delete', 'remove', 'restore', 'sum', 'average', 'minimum', 'maximum', 'clear', 'preload'];
const DATA_HOLDERS = ['manager', 'entityManager', 'em', 'dataSource', 'queryRunner'];
const names = (list) => `/^(${list.join('|')})$/`;
const QUERY_MESSAGE = "Queries belong in the feature's repository";
const noQueries = [
  { selector: `CallExpression[callee.property.name=${names(QUERY_ONLY_METHODS)}]`, message: QUERY_MESSAGE },
  { selector: `CallExpression[callee.property.name=${names(DATA_METHODS)}][callee.object.name=${names(DATA_HOLDERS)}]`, message: QUERY_MESSAGE },
  { selector: `CallExpression[callee.property.name=${names(DATA_METHODS)}][callee.object.property.name=${names(DATA_HOLDERS)}]`, message: QUERY_MESSAGE },
];

/**
 * Inside a transaction every query goes through that transaction's manager (docs/ARCHITECTURE.md,
 * "Transactions"): outside the app's wiring, code reaches the database only through `Transactions`
 * (src/common/transactions.ts), whose `manager` is the open transaction's, and opens transactions
 * only with its `run()`. The pool's own manager, raw queries on the DataSource and transactions
 * opened beside `run()` would take a second connection unseen.
 */
const TX_MESSAGE = "Use Transactions (src/common/transactions.ts): its manager is the open transaction's, and run() opens one";
const DATA_SOURCE_USES = ['manager', 'query', 'sql', 'transaction', 'getRepository', 'createQueryBuilder', 'createQueryRunner', 'createEntityManager'];
const noPoolAccess = [
  { selector: `MemberExpression[object.name='dataSource'][property.name=${names(DATA_SOURCE_USES)}]`, message: TX_MESSAGE },
  { selector: `MemberExpression[object.property.name='dataSource'][property.name=${names(DATA_SOURCE_USES)}]`, message: TX_MESSAGE },
  { selector: `CallExpression[callee.property.name='transaction'][callee.object.name=/^(manager|entityManager|em)$/]`, message: TX_MESSAGE },
  { selector: `CallExpression[callee.property.name='transaction'][callee.object.property.name=/^(manager|entityManager|em)$/]`, message: TX_MESSAGE },
];
const APP_WIRING = ['src/database/**', 'src/bootstrap.ts', 'src/main.ts', 'src/app.module.ts', 'src/common/transactions.ts'];

export default tseslint.config(
  { ignores: ['dist/', 'data/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['templates/static/**/*.js'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly', fetch: 'readonly', DOMParser: 'readonly', setTimeout: 'readonly', MutationObserver: 'readonly' } },
  },
  {
    files: ['bench/**/*.mjs'],
    languageOptions: { globals: { fetch: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URLSearchParams: 'readonly', performance: 'readonly' } },
  },
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts'],
    plugins: { boundaries },
    settings: {
      // Resolves the ESM imports (`./x.js`) to the TypeScript files they are compiled from.
      'import/resolver': { typescript: { project: './tsconfig.json' } },
      'boundaries/elements': [
        { type: 'app', pattern: 'src/database' },
        { type: 'common', pattern: 'src/common' },
        { type: 'config', pattern: 'src/config' },
        { type: 'audit', pattern: 'src/audit' },
        { type: 'web', pattern: 'src/web' },
        { type: 'notifications', pattern: 'src/notifications' },
        { type: 'documents', pattern: 'src/documents' },
        { type: 'renderer', pattern: 'src/renderer' },
        { type: 'health', pattern: 'src/health' },
        { type: 'office', pattern: 'src/office' },
        { type: 'capability', pattern: 'src/*', capture: ['name'] },
        // main.ts, bootstrap.ts, app.module.ts: the files that wire everything together
        { type: 'app', pattern: 'src' },
      ],
      'boundaries/files': [
        { category: 'access', pattern: 'src/auth/(actor|roles|guards|csrf|tokens|session.service|users.repository|auth.entities|user.entity|access.module).ts', stopMatching: true },
        { category: 'types', pattern: 'src/*/*.types.ts', stopMatching: true },
        // Pure rules and their plain day arithmetic (src/awards/calendar-days.ts, used by the reports' interest rules).
        { category: 'rules', pattern: ['src/*/*.rules.ts', 'src/*/*.machine.ts', 'src/sessions/council-rules.ts', 'src/ranking/*.ts', 'src/awards/calendar-days.ts'], stopMatching: true },
        { category: 'feature', pattern: 'src/**/*.ts' },
      ],
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', policies: layering }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts', ...APP_WIRING],
    rules: {
      'no-restricted-syntax': ['error', ...noPoolAccess],
      'no-restricted-imports': ['error', {
        paths: [{ name: '@nestjs/typeorm', importNames: ['InjectDataSource', 'InjectEntityManager', 'InjectRepository'], message: TX_MESSAGE }],
      }],
    },
  },
  // The job queue reads the connection URL for pg-boss's own pool.
  { files: ['src/notifications/jobs.service.ts'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['src/**/*.service.ts', 'src/**/*.controller.ts'],
    ignores: ['src/**/*.spec.ts'],
    rules: { 'no-restricted-syntax': ['error', ...noQueries, ...noPoolAccess] },
  },
  {
    // PDFs are heavy work: rendered in worker threads through DocumentRenderer, never on the request thread.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts', 'src/documents/**', 'src/renderer/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/documents/*.pdf.js', '**/documents/pdf.js', '**/documents/render-jobs.js'], message: 'Render PDFs through DocumentRenderer (src/renderer): worker threads, not the request thread' }],
      }],
    },
  },
);
