#!/usr/bin/env node
// A synthetic group of clients for the observe tests, run as a process of its own:
//   node client-group.mjs <port> churn|idle|busy|blocked|mixed [name]
// churn: connections opened, used once and closed, about 30 a second, each living ~40 ms; idle: 8 connections
// that PING once and then hold; busy: 4 connections running GETs back to back, pipelines of 32 on each; blocked: one BLPOP that never
// returns; mixed: 8 connections kept open, as idle does, and, under the same name, one loop that connects,
// PINGs and quits back to back (one code path that connects per request). Prints "ready" on stdout once its
// connections are up. Stops on SIGTERM, and by itself after a minute should the test never send it.
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';

const [port, kind, name = kind] = process.argv.slice(2);
const options = {
  host: '127.0.0.1',
  port: Number(port),
  connectionName: name,
  maxRetriesPerRequest: 0,
  lazyConnect: true,
};
const SELF_STOP_MS = 60_000;
let running = true;
const stop = () => {
  running = false;
  setTimeout(() => process.exit(0), 200);
};
process.on('SIGTERM', stop);
setTimeout(stop, SELF_STOP_MS).unref();

async function open() {
  const client = new Redis(options);
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** 8 connections that PING once and then hold: a pool opened at start and kept. */
async function keepPool() {
  const clients = await Promise.all(Array.from({ length: 8 }, open));
  await Promise.all(clients.map((c) => c.ping()));
}

if (kind === 'churn') {
  console.log('ready');
  const loop = async () => {
    while (running) {
      const client = await open();
      await client.get('redis-pool-test:churn');
      await sleep(40);
      client.disconnect();
      await sleep(25);
    }
  };
  await Promise.all([loop(), loop()]);
} else if (kind === 'idle') {
  await keepPool();
  console.log('ready');
  await new Promise(() => {});
} else if (kind === 'mixed') {
  await keepPool();
  console.log('ready');
  while (running) {
    const client = await open();
    await client.ping();
    await client.quit();
  }
} else if (kind === 'busy') {
  // Several GETs in flight on each connection, sent as one pipeline, so that it is never idle however slowly this
  // process runs: observe estimates busy connections from the server's side (rate × (server time + its own round
  // trip)), which cannot see the time a starved client spends between two calls. A pipeline costs this process and
  // the server one write and one read for all its GETs, so the rate stays high on a loaded machine.
  const IN_FLIGHT = 32;
  const clients = await Promise.all(Array.from({ length: 4 }, open));
  console.log('ready');
  await Promise.all(
    clients.map(async (c) => {
      while (running) {
        const pipeline = c.pipeline();
        for (let i = 0; i < IN_FLIGHT; i++) pipeline.get('redis-pool-test:busy');
        await pipeline.exec();
      }
    }),
  );
} else if (kind === 'blocked') {
  const client = await open();
  console.log('ready');
  await client.blpop('redis-pool-test:never', 0).catch(() => undefined);
} else {
  console.error(`unknown group ${kind}`);
  process.exit(2);
}
