// The floor the benchmarks compare with: a bare NestJS application on the same PostgreSQL, with the
// same pool size as the service, no auth, no validation, one statement per request.
//   POST /insert           inserts the JSON body as it is (one INSERT)
//   GET  /page?callId=...  one page (50 rows) of a call's applications (one SELECT)
// Plain JavaScript: the decorators are applied as functions.
import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, Module, Post, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
await pool.query('CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, doc jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())');

class FloorController {
  ready() {
    return { ok: true };
  }

  async insert(body) {
    const { rows } = await pool.query('INSERT INTO bench_floor (doc) VALUES ($1) RETURNING id', [body]);
    return rows[0];
  }

  async page(callId) {
    const { rows } = await pool.query(
      `SELECT a.id, a.reference_number, a.title, a.status, a.field_of_action, a.requested_cents, o.name
       FROM application a JOIN organisation o ON o.id = a.organisation_id
       WHERE a.call_id = $1 ORDER BY a.id LIMIT 50`,
      [callId],
    );
    return rows;
  }
}

const method = (name) => [FloorController.prototype, name, Object.getOwnPropertyDescriptor(FloorController.prototype, name)];
Controller()(FloorController);
Get('ready')(...method('ready'));
Post('insert')(...method('insert'));
HttpCode(201)(...method('insert'));
Body()(FloorController.prototype, 'insert', 0);
Get('page')(...method('page'));
Query('callId')(FloorController.prototype, 'page', 0);

class FloorModule {}
Module({ controllers: [FloorController] })(FloorModule);

const app = await NestFactory.create(FloorModule, { logger: ['error'], bodyParser: true, rawBody: false });
app.useBodyParser('json', { limit: '2mb' });
await app.listen(Number(process.env.PORT), '127.0.0.1');
const stop = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
