"""The transcripts of the generality cases (`benchmarks/extra_cases.py`), written for the
benchmark: a podcast, a lecture, an interview, a meeting captioned in WebVTT and a news
bulletin. Each is the text as a user would upload it, labels, marks and all; the lines
stay unwrapped because a line break means something to the transcript reader.
"""

# ruff: noqa: E501

PODCAST = """HOST: Welcome back to Signal and Noise, the show about how science actually gets done. I'm your host, and today I'm joined by Dr. Amara Okafor, who runs a sleep lab at a university hospital.
GUEST: Thanks for having me. It's great to be here.
HOST: So let's start with the obvious question. How much sleep do adults really need?
GUEST: The short answer is somewhere between seven and nine hours. But the long answer is more interesting, because it depends on age, genetics and what you did during the day.
HOST: And what about people who say they only need five hours?
GUEST: [laughter] Everybody thinks they're one of them. In our studies, fewer than 1 in 100 people could actually function well on five hours a night.
HOST: That's a tiny number.
GUEST: It is. Most of the others were simply used to feeling tired, and they had forgotten what rested feels like.
[00:01:10]
HOST: Let's talk about your lab. What does a typical night look like for a volunteer?
GUEST: They arrive around 8 p.m., we attach about twenty sensors, e.g. on the scalp, the chest and the legs, and then we let them fall asleep in a room that looks like a cheap hotel.
HOST: A cheap hotel?
GUEST: Yes, on purpose. If the room looks too clinical, people sleep badly on the first night, and the data is useless.
HOST: I had no idea. How many nights does one study take?
GUEST: Usually three. The first night is for getting used to the place, and we throw that data away.
HOST: So you pay people to sleep and then ignore it.
GUEST: [laughter] Exactly. It sounds wasteful, but it saves us from drawing the wrong conclusions.
HOST: Now, a lot of our listeners asked about phones in the bedroom. Is the blue light really the problem?
GUEST: It's part of the problem, but honestly it is a smaller part than people think. The bigger issue is that the phone keeps your brain busy, i.e. you keep reading, replying and scrolling.
HOST: So night mode doesn't help?
GUEST: It helps a little. If you want a simple rule, put the phone in another room about 30 minutes before bed.
[00:02:45]
HOST: What about coffee? I drink three or four cups a day.
GUEST: Caffeine has a half-life of roughly five to six hours. So a cup at 4 p.m. is still half there at ten in the evening.
HOST: That's a depressing thought.
GUEST: It doesn't have to be. Move your last cup to lunchtime and see what happens over two weeks.
HOST: Dr. Okafor, is there one myth you'd love to get rid of for good?
GUEST: Yes, that you can catch up on sleep at the weekend. You can recover some of it, but not all, and your body clock pays for the late mornings.
HOST: Before we finish, where can people read more about your work?
GUEST: Our lab publishes everything on our website, and we answer questions from the public every month.
HOST: Dr. Amara Okafor, thank you so much for joining us.
GUEST: Thank you, it was a pleasure.
HOST: That's all for this episode of Signal and Noise. Sleep well, and we'll see you next week.
"""
#: the sentences the podcast's "[laughter]" marks stand before: a laugh is heard there
PODCAST_LAUGHS = ("Everybody thinks they're one of them.", "Exactly.")

LECTURE = """Good morning, everyone. Today we are going to talk about how cities grew in the nineteenth century, and why so many of them ended up looking the same. I want you to keep one question in mind while we go through the material. Who decided where the streets would go, and what did they want to achieve?

Let us start with the numbers. In 1800, only about one person in fifty lived in a city of more than one hundred thousand people. By 1900, that share had grown to roughly one in ten, and in some countries it was much higher. London passed six million inhabitants before the end of the century. Manchester, which had been a market town, became the symbol of the industrial city within a single lifetime. These changes were not gradual in the way we usually imagine them. They came in waves, tied to railways, factories and the price of bread.

The first wave of growth was almost entirely unplanned. Landowners sold plots at the edge of the old town, and builders put up rows of houses as quickly and cheaply as they could. There were no sewers, very little clean water, and no rules about how much light a room should have. Cholera arrived in the 1830s and returned again and again. It was disease, more than any idea of beauty, that forced governments to act.

Now, the response took very different forms in different places. In Paris, the prefect Haussmann cut wide boulevards through the medieval centre. His critics said he did it to move soldiers quickly and to make barricades impossible. His supporters pointed to the new sewers, the parks and the long views toward monuments. Both sides were partly right, and that is worth remembering. A plan can serve public health and political control at the same time.

Barcelona offers a different model. The engineer Ildefons Cerda proposed a grid of identical blocks with cut corners, so that carts and later trams could turn easily. He wanted every block to have gardens in the middle and buildings on only two sides. Almost none of those gardens survived, because the land was simply too valuable. Still, if you look at a map of the city today, his grid is impossible to miss.

In the United States, the grid had arrived even earlier. The Commissioners' Plan of 1811 laid out the streets of Manhattan far beyond the edge of the built city. It ignored the hills, the streams and the existing farms. Critics at the time found it boring and brutal. Yet it made land easy to measure, to sell and to tax, and that was exactly what its authors intended.

So what do these stories have in common? In each case, the shape of the city was decided by a small group of people with a clear interest. Sometimes that interest was health, sometimes it was order, and very often it was money. For next week, please read the two chapters on housing reform, and come prepared to argue which of these plans you would rather have lived in.
"""

INTERVIEW = """Q: Thank you for agreeing to talk to us today. Could you begin by telling us how you first became interested in beekeeping?
A: Of course. My grandfather kept bees on his farm, and as a child I was allowed to watch from a safe distance. I was fascinated by how calm he was, even with thousands of them around his head.
Q: When did you get your own first hive?
A: Not until I was thirty-two. I had moved to the city by then, and I thought it was impossible to keep bees without a garden. Then a neighbour showed me the hives on the roof of the public library.
Q: Bees on a library roof?
A: Yes, and they were doing very well. City bees often produce more honey than country bees, because parks and gardens flower all through the season.
Q: That surprises me. What about pollution?
A: It's a fair concern. We have had the honey tested several times, and the levels of metals were well below the safety limits. The wax seems to filter out a lot of it.
Q: How much time does a hive take each week?
A: In spring and summer, perhaps an hour a week per hive. In winter, almost nothing, because the colony stays inside and keeps itself warm.
Q: What is the most common mistake new beekeepers make?
A: They open the hive too often. Every time you take the roof off, the bees lose heat and have to work to get it back. Patience is the most important tool you have.
Q: Have you ever been badly stung?
A: Once, about ten years ago, when I dropped a frame. I was stung eleven times in less than a minute. It was painful, but it taught me to move slowly.
Q: Many people worry that bees are disappearing. Is that true where you live?
A: Honeybees are actually doing fine, because beekeepers look after them. The wild bees are the ones in trouble, and they need flowers, old wood and bare soil to nest in.
Q: So what can an ordinary person do to help?
A: Plant something that flowers early in the year, and leave a corner of the garden a bit untidy. You don't need to become a beekeeper to make a difference.
Q: Last question. Would you recommend beekeeping to a complete beginner?
A: Absolutely, but find a mentor first. Spend one season helping someone else before you buy any equipment of your own.
Q: Thank you very much for your time.
A: Thank you, I enjoyed it.
"""
#: a transcript sentence that is never said
INTERVIEW_UNSPOKEN = "The wax seems to filter out a lot of it."
#: unscripted talk (about 15 s: the recorder is checked) said after this sentence
INTERVIEW_ASIDE_AFTER = "Patience is the most important tool you have."
INTERVIEW_ASIDE = [
    ("Q", "Sorry, could we stop for a moment?"),
    ("Q", "I think the recorder is making a strange noise, let me check the cable."),
    ("A", "No problem at all, take your time."),
    ("Q", "Right, it seems fine now, let us carry on from where we were."),
]

VTT = """WEBVTT
Kind: captions
Language: en

NOTE rough cue times from an auto-captioner

00:00:00.000 --> 00:00:06.000
<v Priya>Okay, let's get started. Thanks everyone for joining the planning call this week.

00:00:06.000 --> 00:00:12.500
<v Priya>We have three items on the agenda: the budget, the launch date, and the office move.

00:00:12.500 --> 00:00:19.000
<v Priya>Marcus, do you want to start with the budget?

00:00:19.000 --> 00:00:27.000
<v Marcus>Sure. The short version is that we are about eight percent over for the quarter,
mostly because of the new servers.

00:00:27.000 --> 00:00:34.000
<v Marcus>We expected that, and finance has already agreed to move money from the travel line.

00:00:34.000 --> 00:00:40.000
<v Marcus>So there is no need to panic. I'll send the detailed numbers by Friday.

00:00:40.000 --> 00:00:46.000
<v Priya>Great, thank you. Any questions on the budget?

00:00:46.000 --> 00:00:55.000
<v Elena>Just one. Does the travel cut affect the conference in
October, or is that already booked?

00:00:55.000 --> 00:01:02.000
<v Marcus>It's already booked and paid for. The cut only affects trips we haven't planned yet.

00:01:02.000 --> 00:01:07.000
<v Elena>Perfect, that's all I needed.

00:01:07.000 --> 00:01:15.000
<v Priya>Next item, the launch date. Elena, where are we?

00:01:15.000 --> 00:01:24.000
<v Elena>We are still aiming for the fourteenth of March. Testing is about two thirds done, and we found
fewer bugs than last time.

00:01:24.000 --> 00:01:33.000
<v Elena>The one risk is the payment provider. They have not confirmed the new interface yet, and we cannot ship without it.

00:01:33.000 --> 00:01:40.000
<v Priya>When do you expect to hear from them?

00:01:40.000 --> 00:01:48.000
<v Elena>They promised an answer by the end of next week. If it slips, I will tell you the same day.

00:01:48.000 --> 00:01:56.000
<v Tom>Can I add something here? My team can build a fallback that uses the old interface.
It would take about four days.

00:01:56.000 --> 00:02:03.000
<v Priya>That sounds like cheap insurance. Let's do it, Tom, unless anyone objects.

00:02:03.000 --> 00:02:08.000
<v Elena>No objection from me. It would let us sleep at night.

00:02:08.000 --> 00:02:16.000
<v Priya>Good. Last item, the office move. Tom, you have been talking to the landlord.

00:02:16.000 --> 00:02:25.000
<v Tom>Yes. The new floor will be ready on the first of May, two weeks later than planned.
The painters found water damage behind one of the walls.

00:02:25.000 --> 00:02:33.000
<v Tom>The landlord is paying for the repair, so it costs us nothing but time.

00:02:33.000 --> 00:02:40.000
<v Marcus>Will we need to pay rent on both places for those two weeks?

00:02:40.000 --> 00:02:48.000
<v Tom>No, the old lease runs until the end of May anyway. We're covered.

00:02:48.000 --> 00:02:57.000
<v Priya>Excellent. Then I think we're done for today. Thank you all, and have a good weekend.
"""

NEWS = """Morning Briefing
Episode 212
By Jane Whitfield

Good morning, and welcome to the briefing for Tuesday. Here are the main stories we are following today.

The city council voted last night to expand the bus network, adding four new routes in the northern districts. The plan will cost around 12 million dollars over three years. Supporters say it will cut travel times for thousands of commuters. Opponents argue the money would be better spent on repairing existing roads.

In weather news, forecasters expect heavy rain from Wednesday afternoon until Friday morning. Residents near the river are advised to move cars away from low ground. The last time the river flooded, in 2019, more than two hundred homes were damaged.

Turning to sport, the local football club won its third match in a row on Saturday. The team's new coach, who arrived only six weeks ago, credited the players for their hard work. Tickets for the next home game are already sold out.

And finally, a story to make you smile. A library in the old town has received a book that was borrowed in 1962. The book arrived by post with a short note of apology and a ten dollar bill to cover the fine. The librarians say they have decided to frame the note.

In business news, a family bakery that opened in 1931 is celebrating its anniversary with free bread for the whole week. The owner, now in her seventies, still starts work at four o'clock every morning. She says the secret is simple: good flour, enough salt, and no shortcuts.

Health officials are reminding parents that the autumn vaccination clinics open on Monday. Appointments can be booked online or by phone, and most clinics will also accept walk-ins in the afternoon. Officials say last year's programme reached about seventy percent of eligible children.

That's the briefing for this morning. Thanks for listening, and have a good day.
"""

# ---- the voice cases (`benchmarks/voice_cases.py`): new texts for new voices ------------

#: a two-person radio interview, "Name:" labels opening each turn
KEEPER = """Sarah Mitchell: This is Coastlines, and I'm Sarah Mitchell. My guest today spent nineteen years looking after a lighthouse on a rock eleven miles off the coast. Walter Graham, welcome to the programme.
Walter Graham: Thank you, Sarah. It's strange to be somewhere with a roof that doesn't rattle.
Sarah Mitchell: Let's begin at the beginning. How does a person end up as a lighthouse keeper?
Walter Graham: Mostly by accident. I answered an advertisement in a newspaper in 1979, when I was twenty-four and out of work. I thought it would be a summer job.
Sarah Mitchell: And it lasted nineteen years.
Walter Graham: It did. The sea has a way of keeping you.
Sarah Mitchell: What did a normal day look like out there?
Walter Graham: There was no such thing as a normal day, but there was a routine. You wound the clockwork that turned the lens every few hours, you cleaned the glass, and you wrote the weather in the log at three, six, nine and twelve.
Sarah Mitchell: Every three hours, day and night?
Walter Graham: Day and night. There were three of us, so we took turns, four weeks on the rock and two weeks ashore.
Sarah Mitchell: Three men in a tower for a month. How did you get along?
Walter Graham: Better than you'd think. You learn very quickly which arguments aren't worth having. We had one rule: nobody touches another man's tea.
Sarah Mitchell: What was the hardest part?
Walter Graham: The relief boat not coming. If the swell was too big, the boat couldn't land, and your four weeks became five or six. Once it became nine.
Sarah Mitchell: Nine weeks! What did you eat?
Walter Graham: Tinned peas, mostly, and fish when we could catch them. By the end we were counting biscuits.
Sarah Mitchell: Were you ever frightened?
Walter Graham: Once, properly. In the winter of 1984 a wave broke over the gallery, which is about a hundred and twenty feet above the water. The whole tower shook like a bell.
Sarah Mitchell: What did you do?
Walter Graham: We made a pot of tea and waited for morning. There was nothing else to do.
Sarah Mitchell: The light was automated in 1998. How did you feel about that?
Walter Graham: Sad, of course, but I understood it. A machine doesn't need relief boats or biscuits.
Sarah Mitchell: Do you still go back?
Walter Graham: Every summer I take a boat out and look at her from the water. She's still standing, still flashing twice every fifteen seconds.
Sarah Mitchell: Walter Graham, thank you for sharing your story.
Walter Graham: It was a pleasure, Sarah. Thank you for listening to an old man.
"""

#: a lecture monologue, heavy with numbers, units and abbreviations
GEODESY = """Good afternoon. Last week we looked at maps, and today we'll look at the numbers underneath them. How do we actually know where anything is on the surface of the Earth?

Start with the size of the planet. Around 240 B.C., Eratosthenes compared the shadows at noon in two Egyptian cities, about 800 km apart. He found an angle of roughly 7.2 degrees, which is one fiftieth of a full circle. So the circumference had to be about 50 times that distance, i.e. roughly 40,000 km. That is within a few percent of the modern value of 40,075 km at the equator.

Now, the Earth is not a perfect sphere. It bulges at the equator by about 21 km, because it spins once every 23 hours and 56 minutes. In the 1730s, the French Academy of Sciences sent expeditions to Lapland and to Peru to settle the question. They measured the length of one degree of latitude in each place. The degree near the pole came out longer, and the argument was over.

Let's jump to the 20th century. Today we describe positions with a reference ellipsoid called WGS 84, adopted in 1984 by the U.S. Department of Defense. GPS receivers report coordinates on that ellipsoid, e.g. 51.4779 degrees north, 0.0015 degrees west for the old observatory at Greenwich. Notice the second number. It tells you the prime meridian drawn in 1851 and the zero of GPS are about 100 m apart.

How does GPS work at all? Each satellite carries an atomic clock and broadcasts the time. Your receiver compares that time with its own and turns the delay into a distance, at roughly 300,000 km per second. With signals from 4 satellites, it can solve for its position and for the error of its own cheap clock. An error of one millionth of a second would move you by about 300 m.

There is one more surprise. The clocks on the satellites run fast by about 38 microseconds per day, because of relativity. Engineers set them slightly slow before launch to compensate. Without that correction, positions would drift by roughly 10 km every day.

For Thursday, please read chapter 4, pp. 112 to 140, and try problems 3, 7 and 9. We'll start at 2:15 p.m. sharp, because the room is booked until 4.
"""

#: a three-person panel with a moderator; labels on lines of their own
PANEL = """MODERATOR
Good evening, and welcome to tonight's panel on the future of public libraries. I'm joined by Helen Ashworth, who runs the central library in our city, and by Daniel Reyes, who studies reading habits at the university. Let's start with a simple question. Are libraries still needed when almost everything is online?

HELEN ASHWORTH
I'd say they are needed more than ever. Last year we had over six hundred thousand visits, and fewer than half of those people borrowed a book. They came to use a computer, to print a form, to study somewhere quiet or simply to be warm.

MODERATOR
Daniel, does the research agree with that?

DANIEL REYES
Mostly, yes. The number of printed loans has fallen for about twenty years, but the number of people walking through the door has not fallen nearly as fast. What has changed is the reason they come. A library has become the last indoor public space where nobody expects you to buy anything.

MODERATOR
That's a striking way to put it.

HELEN ASHWORTH
It's true, though. We see teenagers doing homework, retired people reading newspapers and job seekers writing applications, all at the same table.

MODERATOR
What about e-books? Don't they make the building less important?

DANIEL REYES
E-books have grown, but more slowly than many people predicted. Most readers still prefer paper for long books. And the licences libraries pay for e-books are often expensive, some of them expire after two years, or after a fixed number of loans.

HELEN ASHWORTH
That's a real problem for us. A printed copy can last for decades. A digital copy can disappear from the catalogue while someone is still on the waiting list.

MODERATOR
Let's talk about money. Where should the funding come from?

HELEN ASHWORTH
From the city, as it always has. Donations help with special projects, but you can't pay the heating bill with goodwill.

DANIEL REYES
I agree. The evidence from other countries suggests that stable funding matters more than large one-off grants. Staff need to know they will still have a job next year.

MODERATOR
We have time for one last thought from each of you. Helen?

HELEN ASHWORTH
Come and visit. You'll be surprised by how busy we are on a Tuesday morning.

MODERATOR
Daniel?

DANIEL REYES
Borrow a book you would never have bought. That's what libraries are for.

MODERATOR
Thank you both, and thank you all for coming.
"""

#: a customer-support phone call: short turns, one-word answers and spelled details
SUPPORT_CALL = """Agent: Thank you for calling Northwind Energy, my name is Priya. How can I help you today?
Caller: Hi. I've had a letter saying my bill has gone up, and I don't understand why.
Agent: I'm sorry to hear that. Let's take a look together. Could I have your account number, please?
Caller: Yes. It's 4 4 7 1, 9 0 2 6.
Agent: Thank you. And can you confirm the first line of your address?
Caller: 17 Orchard Lane.
Agent: Perfect, I've found the account. You're on our standard variable tariff, is that right?
Caller: I think so. I never changed anything.
Agent: Okay. The price on that tariff went up on the first of March, by about nine percent.
Caller: Nine percent? Nobody told me.
Agent: We did send a notice in January, but I understand it's easy to miss. I can see your usage has gone up as well.
Caller: Really? By how much?
Agent: In February you used 412 kilowatt hours, compared with 305 in the same month last year.
Caller: Oh. That would be the new heater in the garage.
Agent: That would explain it. Electric heaters use a lot of power.
Caller: Right. Is there anything cheaper I could move to?
Agent: Yes. We have a fixed tariff for twelve months. It's about six percent below what you pay now.
Caller: Is there a fee to leave it early?
Agent: There is, thirty pounds per fuel. But you wouldn't pay anything if you stay the full twelve months.
Caller: Okay. Let's do that.
Agent: Great. I'll switch you from the start of next month. You'll get an email with the details today.
Caller: Thanks. Can you send it to a different address?
Agent: Of course. What's the email, please?
Caller: It's m dot hale at example dot com.
Agent: Let me read that back. M, dot, H A L E, at example dot com.
Caller: That's right.
Agent: Done. Is there anything else I can help with?
Caller: No, that's everything. Thank you, Priya.
Agent: You're welcome. Have a lovely day.
"""
