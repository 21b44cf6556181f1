import Gateways
import Testing
