package org.prefopt.launcher.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the launcher jar's manifest (absent when run from classes). */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = PrefoptCommand.class.getPackage().getImplementationVersion();
        return new String[] {"prefopt " + (v == null ? "(development build)" : v),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }
}
