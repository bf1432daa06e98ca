import Hummingbird
public enum Placeholder {}
