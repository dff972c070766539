import sgMail from "@sendgrid/mail";
import { logger } from "./logger.js";

sgMail.setApiKey(process.env.SENDGRID_API_KEY ?? "");
const from = process.env.MAIL_FROM ?? "shop@example.com";

export async function sendReceipt(to: string, orderId: string, requestId: string) {
  try {
    await sgMail.send({ to, from, subject: `Your order ${orderId}`, text: "Thank you!" });
  } catch (err) {
    logger.error({ err, orderId, requestId }, "sendgrid receipt failed");
  }
}
