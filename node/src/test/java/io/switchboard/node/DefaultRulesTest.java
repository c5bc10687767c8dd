package io.switchboard.node;

/** The server's default rules on the embedded store. */
class DefaultRulesTest extends DefaultRulesCases {
}
