import ArgumentParser
import ParleyCore

/// The customer a command is about, as its first argument: a number typed
/// in any national or international form, read in the business's country.
struct CustomerArgument: ParsableArguments {
    @Argument(help: "The customer's number.") var number: String

    /// The number as E.164; a number that cannot be one gets the parser's problem.
    func number(in mailbox: Mailbox) throws(ParleyError) -> PhoneNumber {
        try mailbox.parseNumber(number)
    }
}
