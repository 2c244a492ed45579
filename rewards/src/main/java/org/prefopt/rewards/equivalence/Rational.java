package org.prefopt.rewards.equivalence;

import java.math.BigInteger;

/**
 * An exact rational number, kept in lowest terms with a positive denominator, so that equality is structural:
 * {@code 18.00}, {@code 18} and {@code \frac{36}{2}} are the same value and {@code 100001} is never
 * {@code 100000}. No floating point anywhere.
 */
public record Rational(BigInteger numerator, BigInteger denominator) {

    public Rational {
        if (denominator.signum() == 0) {
            throw new ArithmeticException("zero denominator");
        }
        if (denominator.signum() < 0) {
            numerator = numerator.negate();
            denominator = denominator.negate();
        }
        BigInteger g = numerator.gcd(denominator);
        if (!g.equals(BigInteger.ONE) && g.signum() != 0) {
            numerator = numerator.divide(g);
            denominator = denominator.divide(g);
        }
    }

    public Rational negate() {
        return new Rational(numerator.negate(), denominator);
    }

    public Rational divide(Rational o) {
        return new Rational(numerator.multiply(o.denominator), denominator.multiply(o.numerator));
    }

    public Rational multiply(Rational o) {
        return new Rational(numerator.multiply(o.numerator), denominator.multiply(o.denominator));
    }

    @Override
    public String toString() {
        return denominator.equals(BigInteger.ONE) ? numerator.toString() : numerator + "/" + denominator;
    }
}
