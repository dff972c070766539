import express from "express";
import { rateLimit } from "express-rate-limit";
import helmet from "helmet";
import client from "prom-client";
import { config } from "./config.js";
import { logger } from "./logger.js";
import { pool } from "./db.js";

const app = express();
app.use(helmet());
app.use(rateLimit({ windowMs: 60_000, limit: 300 }));
client.collectDefaultMetrics();

app.get("/healthz", async (_req, res) => {
  await pool.query("select 1");
  res.json({ ok: true });
});

app.get("/metrics", async (_req, res) => {
  res.set("Content-Type", client.register.contentType);
  res.send(await client.register.metrics());
});

app.listen(config.port, () => logger.info({ port: config.port }, "shopfront listening"));
