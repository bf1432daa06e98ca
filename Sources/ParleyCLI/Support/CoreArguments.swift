import ArgumentParser
import ParleyCore

// Core's closed sets parse straight from the command line: an unknown value
// gets ArgumentParser's error listing the valid ones, and no command keeps
// a string it must convert (and force-unwrap) later.
extension ConsentEvent.Method: ExpressibleByArgument {}
extension ComplianceRule: ExpressibleByArgument {}
