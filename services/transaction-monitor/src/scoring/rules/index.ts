import type { Rule } from '../rule';
import type { RuleName, Rules } from '../rules-file';
import { afterSecurityChange } from './after-security-change';
import { allowListed } from './allow-listed';
import { amountOutlier } from './amount-outlier';
import { balanceDrain } from './balance-drain';
import { dormantReactivation } from './dormant-reactivation';
import { impossibleTravel } from './impossible-travel';
import { listedDestination } from './listed-destination';
import { muleDestination } from './mule-destination';
import { newCounterpartyLarge } from './new-counterparty-large';
import { newDeviceOrCountry } from './new-device-or-country';
import { structuring } from './structuring';
import { testThenLarge } from './test-then-large';
import { velocity } from './velocity';

/** Every rule by the name the rules file and the flags use. */
export const RULES: { [K in RuleName]: Rule<Rules[K]> } = {
  amount_outlier: amountOutlier,
  velocity,
  new_counterparty_large: newCounterpartyLarge,
  after_security_change: afterSecurityChange,
  balance_drain: balanceDrain,
  impossible_travel: impossibleTravel,
  new_device_or_country: newDeviceOrCountry,
  test_then_large: testThenLarge,
  structuring,
  dormant_reactivation: dormantReactivation,
  mule_destination: muleDestination,
  listed_destination: listedDestination,
  allow_listed: allowListed,
};
