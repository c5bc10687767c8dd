package io.switchboard.node;

/** Holds that end on the embedded store. */
class HoldsThatEndTest extends HoldsThatEndCases {
}
