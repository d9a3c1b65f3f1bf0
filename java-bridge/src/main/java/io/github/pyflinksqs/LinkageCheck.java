package io.github.pyflinksqs;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Whether this jar links with the Flink it runs in, checked where the job is built, so a mismatch
 * is an error at build() and never a NoClassDefFoundError or NoSuchMethodError on a task manager
 * later. It loads and initializes every class of the bridge (what a task manager loads), and
 * resolves every Flink class, method and field those classes refer to (read from their constant
 * pools), as the JVM would when it first runs that code.
 *
 * <p>The shaded AWS SDK is not checked: it refers to optional libraries (AWS CRT, Netty) that it
 * looks for at run time and does without.
 */
public final class LinkageCheck {
    private static final String OWN_PACKAGE = "io/github/pyflinksqs/";
    private static final String SHADED = OWN_PACKAGE + "shaded/";
    private static final String FLINK = "org/apache/flink/";

    private LinkageCheck() {}

    /** Empty when everything links; else one line per problem, the first ones only. */
    public static String problems() {
        Set<String> problems = new LinkedHashSet<>();
        ClassLoader loader = LinkageCheck.class.getClassLoader();
        try {
            for (String name : ownClasses()) {
                String className =
                        name.substring(0, name.length() - ".class".length()).replace('/', '.');
                try {
                    Class.forName(className, true, loader);
                } catch (LinkageError | ClassNotFoundException e) {
                    problems.add(className + ": " + e);
                    continue;
                }
                try (InputStream in = loader.getResourceAsStream(name)) {
                    for (String problem : flinkReferences(className, in, loader)) {
                        problems.add(problem);
                    }
                }
                if (problems.size() >= 10) {
                    break;
                }
            }
        } catch (IOException e) {
            problems.add("cannot read the bridge jar: " + e);
        }
        return String.join("\n", problems);
    }

    private static List<String> ownClasses() throws IOException {
        URL location = LinkageCheck.class.getProtectionDomain().getCodeSource().getLocation();
        List<String> names = new ArrayList<>();
        try (JarFile jar = new JarFile(new File(toPath(location)))) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.startsWith(OWN_PACKAGE)
                        && !name.startsWith(SHADED)
                        && name.endsWith(".class")) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static String toPath(URL location) {
        try {
            return new File(location.toURI()).getPath();
        } catch (URISyntaxException e) {
            return location.getPath();
        }
    }

    /** The Flink members a class file refers to that do not resolve here. */
    static List<String> flinkReferences(String className, InputStream classFile, ClassLoader loader)
            throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        in.readInt(); // magic
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        Object[] pool = new Object[count];
        int[][] refs = new int[count][];
        byte[] tags = new byte[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            tags[i] = (byte) tag;
            switch (tag) {
                case 1: // Utf8
                    pool[i] = in.readUTF();
                    break;
                case 3:
                case 4: // Integer, Float
                    in.readInt();
                    break;
                case 5:
                case 6: // Long, Double: two slots
                    in.readLong();
                    i++;
                    break;
                case 7:
                case 8:
                case 16:
                case 19:
                case 20: // Class, String, MethodType, Module, Package
                    refs[i] = new int[] {in.readUnsignedShort()};
                    break;
                case 9:
                case 10:
                case 11:
                case 12:
                case 17:
                case 18: // refs, NameAndType, dynamic
                    refs[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                    break;
                case 15: // MethodHandle
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                    break;
                default:
                    throw new IOException("unknown constant pool tag " + tag + " in " + className);
            }
        }
        List<String> problems = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            if (tags[i] == 7) {
                String owner = (String) pool[refs[i][0]];
                if (owner.startsWith(FLINK) && load(owner, loader) == null) {
                    problems.add(
                            className
                                    + " needs "
                                    + owner.replace('/', '.')
                                    + ", which this Flink does not have");
                }
            } else if (tags[i] == 9 || tags[i] == 10 || tags[i] == 11) {
                String owner = (String) pool[refs[refs[i][0]][0]];
                if (!owner.startsWith(FLINK)) {
                    continue;
                }
                int[] nameAndType = refs[refs[i][1]];
                String member = (String) pool[nameAndType[0]];
                String descriptor = (String) pool[nameAndType[1]];
                Class<?> type = load(owner, loader);
                if (type != null && !resolves(type, member, descriptor, tags[i] == 9, loader)) {
                    problems.add(
                            className
                                    + " needs "
                                    + owner.replace('/', '.')
                                    + "."
                                    + member
                                    + descriptor
                                    + ", which this Flink does not have");
                }
            }
        }
        return problems;
    }

    private static Class<?> load(String internalName, ClassLoader loader) {
        String name = internalName.replace('/', '.');
        if (name.startsWith("[")) {
            return Object.class;
        }
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static boolean resolves(
            Class<?> type, String member, String descriptor, boolean field, ClassLoader loader) {
        if (field) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (f.getName().equals(member)) {
                        return true;
                    }
                }
            }
            return hasInterfaceField(type, member);
        }
        String parameters = descriptor.substring(0, descriptor.indexOf(')') + 1);
        List<Class<?>> seen = new ArrayList<>();
        collect(type, seen);
        collect(Object.class, seen); // interfaces do not list Object's methods
        for (Class<?> c : seen) {
            List<Executable> candidates = new ArrayList<>();
            if (member.equals("<init>")) {
                if (c != type) {
                    continue;
                }
                candidates.addAll(Arrays.asList(c.getDeclaredConstructors()));
            } else {
                for (Method m : c.getDeclaredMethods()) {
                    if (m.getName().equals(member)) {
                        candidates.add(m);
                    }
                }
            }
            for (Executable candidate : candidates) {
                if (parametersOf(candidate).equals(parameters)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasInterfaceField(Class<?> type, String member) {
        for (Class<?> i : type.getInterfaces()) {
            for (Field f : i.getDeclaredFields()) {
                if (f.getName().equals(member)) {
                    return true;
                }
            }
            if (hasInterfaceField(i, member)) {
                return true;
            }
        }
        return false;
    }

    private static void collect(Class<?> type, List<Class<?>> seen) {
        if (type == null || seen.contains(type)) {
            return;
        }
        seen.add(type);
        collect(type.getSuperclass(), seen);
        for (Class<?> i : type.getInterfaces()) {
            collect(i, seen);
        }
    }

    private static String parametersOf(Executable executable) {
        StringBuilder descriptor = new StringBuilder("(");
        for (Class<?> parameter : executable.getParameterTypes()) {
            descriptor.append(descriptorOf(parameter));
        }
        return descriptor.append(')').toString();
    }

    private static String descriptorOf(Class<?> type) {
        if (type.isArray()) {
            return type.getName().replace('.', '/');
        }
        if (type.isPrimitive()) {
            switch (type.getName()) {
                case "int":
                    return "I";
                case "long":
                    return "J";
                case "boolean":
                    return "Z";
                case "byte":
                    return "B";
                case "char":
                    return "C";
                case "short":
                    return "S";
                case "float":
                    return "F";
                case "double":
                    return "D";
                default:
                    return "V";
            }
        }
        return "L" + type.getName().replace('.', '/') + ";";
    }
}
