import Stripe from "stripe";
import { logger } from "./logger.js";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? "");
const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET;

export async function charge(orderId: string, amountCents: number, requestId: string) {
  try {
    return await stripe.paymentIntents.create(
      { amount: amountCents, currency: "eur", metadata: { orderId } },
      { idempotencyKey: orderId },
    );
  } catch (err) {
    logger.error({ err, orderId, requestId }, "stripe charge failed");
    throw err;
  }
}

export function verifyWebhook(body: string, signature: string) {
  return stripe.webhooks.constructEvent(body, signature, webhookSecret ?? "");
}
