import Redis from "ioredis";
import { config } from "./config.js";

export const redis = new Redis(config.redisUrl);

// Catalogue entries expire after CATALOG_TTL_SECONDS and are deleted on product updates.
export const catalogTtl = Number(process.env.CATALOG_TTL_SECONDS ?? 300);

export async function cacheEntry(key: string, value: string): Promise<void> {
  await redis.set(key, value, "EX", catalogTtl);
}
