/**
 * Handling rules (docs/RULES.md): a user's {@link io.switchboard.rules.RulesDocument} decides, for
 * each incoming message, whether it is delivered and how loudly, held, only transcribed or dropped, and whether
 * the sender gets an automatic reply. {@link io.switchboard.rules.RulesEngine} applies a document; the gateway
 * owns storage, delivery and notices.
 */
package io.switchboard.rules;
