// All configuration comes from the environment; nothing secret lives here.
export const config = {
  port: Number(process.env.PORT ?? 3000),
  databaseUrl: process.env.DATABASE_URL ?? "",
  redisUrl: process.env.REDIS_URL ?? "redis://localhost:6379",
  logLevel: process.env.LOG_LEVEL ?? "info",
  publicUrl: process.env.PUBLIC_URL ?? "http://localhost:3000",
};
