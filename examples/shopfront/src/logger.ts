import pino from "pino";

// Structured JSON logs; secrets are redacted by path.
export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  redact: ["req.headers.authorization", "card", "password"],
});
