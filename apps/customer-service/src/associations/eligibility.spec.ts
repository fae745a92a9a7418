import { AccountStanding, associationRefusals } from './eligibility';

const clean: AccountStanding = { unclosedResources: 0, hasArrears: false, cashBalance: '0.00', hasUninvoicedAmount: false, postpaid: false, specialContract: false };

describe('association eligibility', () => {
  it('admits a customer with a clean account and no partner', () => {
    expect(associationRefusals(clean, false)).toEqual([]);
  });

  it('names every rule a customer breaks, in a fixed order', () => {
    const standing: AccountStanding = { unclosedResources: 2, hasArrears: true, cashBalance: '0.01', hasUninvoicedAmount: true, postpaid: true, specialContract: true };
    expect(associationRefusals(standing, true)).toEqual(['AlreadyAssociated', 'UnclosedResources', 'Arrears', 'CashBalance', 'UninvoicedAmount', 'Postpaid', 'SpecialContract']);
  });

  it('treats any non-zero cash balance, positive or negative, as a refusal, and exact zero in any scale as none', () => {
    expect(associationRefusals({ ...clean, cashBalance: '-0.01' }, false)).toEqual(['CashBalance']);
    expect(associationRefusals({ ...clean, cashBalance: '0' }, false)).toEqual([]);
    expect(associationRefusals({ ...clean, cashBalance: '0.000' }, false)).toEqual([]);
  });
});
