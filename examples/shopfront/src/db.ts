import pg from "pg";
import { config } from "./config.js";
import { logger } from "./logger.js";

export const pool = new pg.Pool({
  connectionString: config.databaseUrl,
  max: Number(process.env.DB_POOL_MAX ?? 10),
});

pool.on("error", (err) => logger.error({ err }, "postgres pool error"));
