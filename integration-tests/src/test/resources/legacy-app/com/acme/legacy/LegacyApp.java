package com.acme.legacy;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import net.bytebuddy.ByteBuddy;
import org.yaml.snakeyaml.Yaml;

/**
 * An app that ships its own, older versions of the libraries the agent uses (Netty 4.1, Lettuce 6,
 * Kryo 4, SnakeYAML 1.x, Byte Buddy 1.12) and uses each of them. Compiled by IsolationIT.
 */
public class LegacyApp {

  static int computations;

  public static String lookup(String key) {
    computations++;
    return key.toUpperCase();
  }

  public static void main(String[] args) throws Exception {
    Kryo kryo = new Kryo();
    Output output = new Output(64);
    kryo.writeObject(output, "kryo-value");
    String kryoValue = kryo.readObject(new Input(output.toBytes()), String.class);

    Object yaml = new Yaml().load("answer: 42");

    Class<?> generated = new ByteBuddy().subclass(Object.class).name("com.acme.legacy.Generated").make()
        .load(LegacyApp.class.getClassLoader()).getLoaded();

    RedisClient client = RedisClient.create(System.getProperty("legacy.redis"));
    String redisValue;
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().set("legacy-app-key", "lettuce-value");
      redisValue = connection.sync().get("legacy-app-key");
    } finally {
      client.shutdown();
    }

    System.out.println("libs " + jar(Kryo.class) + " " + jar(Yaml.class) + " " + jar(ByteBuddy.class) + " "
        + jar(RedisClient.class) + " " + jar(io.netty.util.Version.class));
    System.out.println("uses " + kryoValue + " " + yaml + " " + generated.getName() + " " + redisValue);

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    System.out.println("started");
    for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
      String[] words = line.split(" ");
      if (words[0].equals("lookup")) {
        System.out.println(lookup(words[1]) + " computations=" + computations);
      } else if (words[0].equals("load")) {
        System.out.println(visibility(words[1]));
      }
    }
  }

  private static String visibility(String className) {
    try {
      Class.forName(className, false, LegacyApp.class.getClassLoader());
      return "visible " + className;
    } catch (ClassNotFoundException e) {
      return "hidden " + className;
    }
  }

  private static String jar(Class<?> type) {
    return new File(type.getProtectionDomain().getCodeSource().getLocation().getPath()).getName();
  }
}
