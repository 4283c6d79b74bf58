/** A named module that exports and opens nothing: the agent must open what it needs itself. */
module com.acme.bank {
}
